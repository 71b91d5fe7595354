/*
 * fuzz_ssh.c - the SSH parser (ssh.c): version lines, KEXINIT, the encrypted phase, through the real engine on TCP port 22. Input format: see
 * fuzz_tcp.h.
 */
#include "fuzz_tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return th_fuzz(data, size, 22);
}
