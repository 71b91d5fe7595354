/*
 * login.h - the login and SMB detector: judges WS_EV_LOGIN events of every
 * service alike (keyed by service), and SMB/DCE-RPC events for the SMB
 * attacks of issue 3. It sees events only, never bytes.
 *
 * Kinds raised:
 *   password_guessing  login.failures failed logins (by outcome, not by
 *                      connection) from one source against one server on one
 *                      service within login.window seconds (T1110.001, high)
 *   password_spraying  failures over login.spray_users distinct user names
 *                      from one source on one service within the window
 *                      (T1110.003, high)
 *   guess_succeeded    a successful login from a source after it reached the
 *                      guessing threshold against that server/service (critical)
 *   smb1_in_use        an SMB1 dialect negotiated (or SMB1 commands used)
 *                      between a client and a server (T1210, medium)
 *   null_session       an anonymous SMB login that succeeded (medium; high
 *                      once followed by share or user enumeration)
 *   share_enumeration  srvsvc NetShareEnum* calls (T1135, low)
 *   user_enumeration   samr/lsarpc calls that list or resolve accounts
 *                      (T1087, medium)
 *
 * Memory: bounded. At most WS_LOGIN_PAIRS_MAX (source, server, service)
 * records and as many (source, service) records; past that, new causes are
 * counted in dropped and ignored. Per record at most WS_LOGIN_USERS_MAX user
 * names and WS_LOGIN_STATUS_MAX status names are kept, the rest counted.
 */
#ifndef WS_DETECT_LOGIN_H
#define WS_DETECT_LOGIN_H

#include "detect/detect.h"
#include "detect/finding.h"
#include "event/event.h"

/* Source/server/service records: a /16 of guessers against one server fits. */
#define WS_LOGIN_PAIRS_MAX 65536u
/* User names kept per record: enough to show a spray, bounded against a dictionary. */
#define WS_LOGIN_USERS_MAX 64u
/* Distinct failure status names counted per record (LOGON_FAILURE, WRONG_PASSWORD, LOCKED_OUT ...). */
#define WS_LOGIN_STATUS_MAX 8u
/* Failure timestamps kept per record: the largest login.failures allowed. */
#define WS_LOGIN_RING_MAX 64u
/* Bytes of a user name kept (user\domain), longer names are cut. */
#define WS_LOGIN_USER_LEN 64u

struct ws_login_detect;

/* NULL when out of memory. cfg is copied; fs must outlive the detector. */
struct ws_login_detect *ws_login_detect_new(const struct ws_detect_cfg *cfg, struct ws_findings *fs);
/* A bus subscriber (ws_ev_fn): d is the struct ws_login_detect *. */
void ws_login_detect_on_event(void *d, const struct ws_event *ev);
/* The run ended: complete the findings' texts. */
void ws_login_detect_finish(struct ws_login_detect *d);
void ws_login_detect_free(struct ws_login_detect *d);	/* NULL-safe */

#endif
