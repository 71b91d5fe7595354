/*
 * fuzz_smb.c - the SMB parsers on direct TCP (smb.c, smb1.c, smb2.c, ntlmssp.c, dcerpc.c), through the real engine on TCP port 445. Input format: see
 * fuzz_tcp.h.
 */
#include "fuzz_tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return th_fuzz(data, size, 445);
}
