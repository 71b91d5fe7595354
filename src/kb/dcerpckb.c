/*
 * dcerpckb.c - DCE/RPC interface UUIDs and operation names, see smbkb.h.
 *
 * Each interface cites where its UUID was checked. Operation names are the
 * method names of the Microsoft specification of the interface ([MS-SAMR]
 * 3.1.5, [MS-LSAD]/[MS-LSAT] 3.1.4, [MS-NRPC] 3.5.4, [MS-SCMR] 3.1.4,
 * [MS-RRP] 3.1.5, [MS-WKST] 3.2.4, [MS-TSCH] 3.2.5, [MS-RPRN] 3.1.4,
 * [MS-DRSR] 4.1, [MS-EVEN] 3.1.4, [MS-EFSR] 3.1.4, [MS-DCOM] 3.1.2.5.2),
 * except srvsvc, where the names analysts know (Samba's srvsvc.idl, which
 * Wireshark shows: "NetShareEnumAll") are kept instead of [MS-SRVS]'s
 * ("NetrShareEnum" for opnum 15); the opnums are the same.
 *
 * A UUID arrives as 16 bytes in wire order (little-endian time_low, time_mid,
 * time_hi_and_version, then 8 bytes as they are: C706 A.1, [MS-RPCE] 2.2.2.1)
 * and is compared in its string form.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kb/smbkb.h"

struct dcerpc_op {
	uint16_t opnum;
	const char *name;
};

struct dcerpc_iface {
	const char *uuid;	/* lower-case string form */
	const char *name;
	const struct dcerpc_op *ops;
	size_t op_cnt;
};

/* srvsvc: Samba librpc/idl/srvsvc.idl opnums (0x0c NetSessEnum, 0x0f NetShareEnumAll, ...). */
static const struct dcerpc_op srvsvc_ops[] = {
	{ 8, "NetConnEnum" },
	{ 9, "NetFileEnum" },
	{ 11, "NetFileClose" },
	{ 12, "NetSessEnum" },
	{ 13, "NetSessDel" },
	{ 14, "NetShareAdd" },
	{ 15, "NetShareEnumAll" },
	{ 16, "NetShareGetInfo" },
	{ 17, "NetShareSetInfo" },
	{ 18, "NetShareDel" },
	{ 20, "NetShareCheck" },
	{ 21, "NetSrvGetInfo" },
	{ 22, "NetSrvSetInfo" },
	{ 23, "NetDiskEnum" },
	{ 28, "NetRemoteTOD" },
	{ 31, "NetPathCanonicalize" },
	{ 36, "NetShareEnum" },
};

/* [MS-SAMR] 3.1.5 "Methods in RPC Opnum Order". */
static const struct dcerpc_op samr_ops[] = {
	{ 0, "SamrConnect" },
	{ 1, "SamrCloseHandle" },
	{ 2, "SamrSetSecurityObject" },
	{ 3, "SamrQuerySecurityObject" },
	{ 5, "SamrLookupDomainInSamServer" },
	{ 6, "SamrEnumerateDomainsInSamServer" },
	{ 7, "SamrOpenDomain" },
	{ 8, "SamrQueryInformationDomain" },
	{ 11, "SamrEnumerateGroupsInDomain" },
	{ 13, "SamrEnumerateUsersInDomain" },
	{ 15, "SamrEnumerateAliasesInDomain" },
	{ 16, "SamrGetAliasMembership" },
	{ 17, "SamrLookupNamesInDomain" },
	{ 18, "SamrLookupIdsInDomain" },
	{ 19, "SamrOpenGroup" },
	{ 25, "SamrGetMembersInGroup" },
	{ 27, "SamrOpenAlias" },
	{ 33, "SamrGetMembersInAlias" },
	{ 34, "SamrOpenUser" },
	{ 36, "SamrQueryInformationUser" },
	{ 39, "SamrGetGroupsForUser" },
	{ 40, "SamrQueryDisplayInformation" },
	{ 44, "SamrGetUserDomainPasswordInformation" },
	{ 50, "SamrCreateUser2InDomain" },
	{ 55, "SamrUnicodeChangePasswordUser2" },
	{ 56, "SamrGetDomainPasswordInformation" },
	{ 57, "SamrConnect2" },
	{ 62, "SamrConnect4" },
	{ 64, "SamrConnect5" },
	{ 65, "SamrRidToSid" },
};

/* [MS-LSAD] 3.1.4 and [MS-LSAT] 3.1.4 (one interface, lsarpc). */
static const struct dcerpc_op lsarpc_ops[] = {
	{ 0, "LsarClose" },
	{ 2, "LsarEnumeratePrivileges" },
	{ 3, "LsarQuerySecurityObject" },
	{ 6, "LsarOpenPolicy" },
	{ 7, "LsarQueryInformationPolicy" },
	{ 8, "LsarSetInformationPolicy" },
	{ 11, "LsarEnumerateAccounts" },
	{ 13, "LsarEnumerateTrustedDomains" },
	{ 14, "LsarLookupNames" },
	{ 15, "LsarLookupSids" },
	{ 44, "LsarOpenPolicy2" },
	{ 45, "LsarGetUserName" },
	{ 46, "LsarQueryInformationPolicy2" },
	{ 57, "LsarLookupSids2" },
	{ 58, "LsarLookupNames2" },
	{ 68, "LsarLookupNames3" },
	{ 76, "LsarLookupSids3" },
	{ 77, "LsarLookupNames4" },
};

/* [MS-NRPC] 3.5.4 "Methods in RPC Opnum Order" (Zerologon: 4, 26, 30). */
static const struct dcerpc_op netlogon_ops[] = {
	{ 2, "NetrLogonSamLogon" },
	{ 3, "NetrLogonSamLogoff" },
	{ 4, "NetrServerReqChallenge" },
	{ 5, "NetrServerAuthenticate" },
	{ 6, "NetrServerPasswordSet" },
	{ 15, "NetrServerAuthenticate2" },
	{ 21, "NetrLogonGetCapabilities" },
	{ 26, "NetrServerAuthenticate3" },
	{ 29, "NetrLogonGetDomainInfo" },
	{ 30, "NetrServerPasswordSet2" },
	{ 34, "DsrGetDcNameEx2" },
	{ 39, "NetrLogonSamLogonEx" },
	{ 40, "DsrEnumerateDomainTrusts" },
	{ 45, "NetrLogonSamLogonWithFlags" },
};

/* [MS-RRP] 3.1.5. */
static const struct dcerpc_op winreg_ops[] = {
	{ 0, "OpenClassesRoot" },
	{ 1, "OpenCurrentUser" },
	{ 2, "OpenLocalMachine" },
	{ 3, "OpenPerformanceData" },
	{ 4, "OpenUsers" },
	{ 5, "BaseRegCloseKey" },
	{ 6, "BaseRegCreateKey" },
	{ 7, "BaseRegDeleteKey" },
	{ 8, "BaseRegDeleteValue" },
	{ 9, "BaseRegEnumKey" },
	{ 10, "BaseRegEnumValue" },
	{ 11, "BaseRegFlushKey" },
	{ 12, "BaseRegGetKeySecurity" },
	{ 15, "BaseRegOpenKey" },
	{ 16, "BaseRegQueryInfoKey" },
	{ 17, "BaseRegQueryValue" },
	{ 20, "BaseRegSaveKey" },
	{ 22, "BaseRegSetValue" },
	{ 26, "BaseRegGetVersion" },
};

/* [MS-SCMR] 3.1.4 (ROpenServiceW 16 checked in 3.1.4.16). */
static const struct dcerpc_op svcctl_ops[] = {
	{ 0, "RCloseServiceHandle" },
	{ 1, "RControlService" },
	{ 2, "RDeleteService" },
	{ 6, "RQueryServiceStatus" },
	{ 11, "RChangeServiceConfigW" },
	{ 12, "RCreateServiceW" },
	{ 14, "REnumServicesStatusW" },
	{ 15, "ROpenSCManagerW" },
	{ 16, "ROpenServiceW" },
	{ 17, "RQueryServiceConfigW" },
	{ 19, "RStartServiceW" },
};

/* [MS-WKST] 3.2.4. */
static const struct dcerpc_op wkssvc_ops[] = {
	{ 0, "NetrWkstaGetInfo" },
	{ 2, "NetrWkstaUserEnum" },
	{ 5, "NetrWkstaTransportEnum" },
};

/* [MS-TSCH] 3.2.5.2 ATSvc. */
static const struct dcerpc_op atsvc_ops[] = {
	{ 0, "NetrJobAdd" },
	{ 1, "NetrJobDel" },
	{ 2, "NetrJobEnum" },
	{ 3, "NetrJobGetInfo" },
};

/* [MS-TSCH] 3.2.5.4 ITaskSchedulerService. */
static const struct dcerpc_op tsch_ops[] = {
	{ 0, "SchRpcHighestVersion" },
	{ 1, "SchRpcRegisterTask" },
};

/* C706 Appendix O / hsc.fr epmp table. */
static const struct dcerpc_op epm_ops[] = {
	{ 0, "ept_insert" },
	{ 1, "ept_delete" },
	{ 2, "ept_lookup" },
	{ 3, "ept_map" },
	{ 4, "ept_lookup_handle_free" },
	{ 5, "ept_inq_object" },
	{ 6, "ept_mgmt_delete" },
};

/* [MS-RPRN] 3.1.4 (PrinterBug: 65; PrintNightmare: 89). */
static const struct dcerpc_op spoolss_ops[] = {
	{ 0, "RpcEnumPrinters" },
	{ 1, "RpcOpenPrinter" },
	{ 10, "RpcEnumPrinterDrivers" },
	{ 29, "RpcClosePrinter" },
	{ 65, "RpcRemoteFindFirstPrinterChangeNotificationEx" },
	{ 69, "RpcOpenPrinterEx" },
	{ 89, "RpcAddPrinterDriverEx" },
};

/* [MS-DRSR] 4.1 (DCSync: 3). */
static const struct dcerpc_op drsuapi_ops[] = {
	{ 0, "IDL_DRSBind" },
	{ 1, "IDL_DRSUnbind" },
	{ 3, "IDL_DRSGetNCChanges" },
	{ 12, "IDL_DRSCrackNames" },
};

/* [MS-DSSP] 3.2.5. */
static const struct dcerpc_op dssetup_ops[] = {
	{ 0, "DsRolerGetPrimaryDomainInformation" },
};

/* [MS-EVEN] 6 (IDL order). */
static const struct dcerpc_op eventlog_ops[] = {
	{ 0, "ElfrClearELFW" },
	{ 1, "ElfrBackupELFW" },
	{ 2, "ElfrCloseEL" },
};

/* [MS-EFSR] 3.1.4 (PetitPotam: 0, 4). */
static const struct dcerpc_op efsrpc_ops[] = {
	{ 0, "EfsRpcOpenFileRaw" },
	{ 4, "EfsRpcEncryptFileSrv" },
	{ 5, "EfsRpcDecryptFileSrv" },
};

/* [MS-DCOM] 3.1.2.5.2.2. */
static const struct dcerpc_op scm_activator_ops[] = {
	{ 3, "RemoteGetClassObject" },
	{ 4, "RemoteCreateInstance" },
};

#define OPS(a) a, sizeof(a) / sizeof((a)[0])

static const struct dcerpc_iface ifaces[] = {
	/* [MS-SRVS] 2.1 (v3.0); UUID as Samba's ndr_srvsvc.h. */
	{ "4b324fc8-1670-01d3-1278-5a47bf6ee188", "srvsvc", OPS(srvsvc_ops) },
	/* [MS-WKST] 1.9. */
	{ "6bffd098-a112-3610-9833-46c3f87e345a", "wkssvc", OPS(wkssvc_ops) },
	/* [MS-SAMR] 2.1 (v1.0). */
	{ "12345778-1234-abcd-ef00-0123456789ac", "samr", OPS(samr_ops) },
	/* [MS-LSAD] 1.9, [MS-LSAT] 6 IDL (v0.0). */
	{ "12345778-1234-abcd-ef00-0123456789ab", "lsarpc", OPS(lsarpc_ops) },
	/* [MS-NRPC] 2.1 (v1.0). */
	{ "12345678-1234-abcd-ef00-01234567cffb", "netlogon", OPS(netlogon_ops) },
	/* [MS-RRP] 2.1. */
	{ "338cd001-2244-31f1-aaaa-900038001003", "winreg", OPS(winreg_ops) },
	/* [MS-SCMR] 1.9, 2.1.1 (v2.0). */
	{ "367abb81-9844-35f1-ad32-98f038001003", "svcctl", OPS(svcctl_ops) },
	/* [MS-RPRN] 2.1 pipe; UUID v1.0 as hsc.fr's winspool table. */
	{ "12345678-1234-abcd-ef00-0123456789ab", "spoolss", OPS(spoolss_ops) },
	/* [MS-TSCH] 1.9: GUID_ATSvc v1.0, GUID_ITaskSchedulerService v1.0. */
	{ "1ff70682-0a51-30e8-076d-740be8cee98b", "atsvc", OPS(atsvc_ops) },
	{ "86d35949-83c9-4044-b424-db363231fd0c", "tsch", OPS(tsch_ops) },
	/* C706 epmp v3.0 (nmap msrpc.lua, hsc.fr). */
	{ "e1af8308-5d1f-11c9-91a4-08002b14a0fa", "epmapper", OPS(epm_ops) },
	/* [MS-DRSR] 1.9. */
	{ "e3514235-4b06-11d1-ab04-00c04fc2dcd2", "drsuapi", OPS(drsuapi_ops) },
	/* [MS-DSSP] 1.9, 2.1 (v0.0, on \PIPE\lsarpc). */
	{ "3919286a-b10c-11d0-9ba8-00c04fd92ef5", "dssetup", OPS(dssetup_ops) },
	/* [MS-EVEN] 2.1.1 (v0.0). */
	{ "82273fdc-e32a-18c3-3f78-827929dc23ea", "eventlog", OPS(eventlog_ops) },
	/* [MS-EFSR] 1.9: on \pipe\lsarpc and on \pipe\efsrpc. */
	{ "c681d488-d850-11d0-8c52-00c04fd90f7e", "efsrpc", OPS(efsrpc_ops) },
	{ "df1941c5-fe89-4e79-bf10-463657acf44d", "efsrpc", OPS(efsrpc_ops) },
	/* [MS-DCOM] 3.1.2.5.2.2; the same IID is called ISystemActivator. */
	{ "000001a0-0000-0000-c000-000000000046", "IRemoteSCMActivator", OPS(scm_activator_ops) },
	/* [MS-DCOM] IObjectExporter (OXID resolver). */
	{ "99fcfec4-5260-101b-bbcb-00aa0021347a", "IObjectExporter", NULL, 0 },
	/* [MS-NSPI] 1.9. */
	{ "f5cc5a18-4264-101a-8c59-08002b2f8426", "nspi", NULL, 0 },
};

static void uuid_str(const uint8_t u[16], char out[37])
{
	unsigned tl = (unsigned)u[0] | (unsigned)u[1] << 8 | (unsigned)u[2] << 16 | (unsigned)u[3] << 24;
	unsigned tm = (unsigned)u[4] | (unsigned)u[5] << 8;
	unsigned th = (unsigned)u[6] | (unsigned)u[7] << 8;

	snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", tl, tm, th,
		 u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

const char *ws_kb_dcerpc_iface_name(const uint8_t uuid[16])
{
	char s[37];

	uuid_str(uuid, s);
	for (size_t i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++)
		if (strcmp(s, ifaces[i].uuid) == 0)
			return ifaces[i].name;
	return NULL;
}

const char *ws_kb_dcerpc_op_name(const char *iface, uint16_t opnum)
{
	if (!iface)
		return NULL;
	for (size_t i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++) {
		if (strcmp(iface, ifaces[i].name) != 0)
			continue;
		for (size_t j = 0; j < ifaces[i].op_cnt; j++)
			if (ifaces[i].ops[j].opnum == opnum)
				return ifaces[i].ops[j].name;
		return NULL;
	}
	return NULL;
}
