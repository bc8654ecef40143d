/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Replication status of the PostgreSQL server a store is connected to, for
 * the /readyz answer of a read-only vanband (a replica, see
 * docs/scaling.md).  Reads only; safe on a primary and on a hot standby.
 */
#ifndef VB_REPLICA_H
#define VB_REPLICA_H

#include "error.h"
#include "store.h"

typedef struct vb_replica_status {
	int in_recovery;      /* 1: a standby replaying WAL from a primary */
	int has_replay;       /* replay_age_s is known (a standby that replayed
				 at least one transaction) */
	double replay_age_s;  /* seconds since the last replayed transaction
				 was committed on the primary (grows while the
				 primary is idle: an upper bound of the lag) */
	char receiver[32];    /* WAL receiver status ("streaming", ...), "" when
				 none is running or it is not visible */
} vb_replica_status;

/* Fill out from pg_is_in_recovery(), pg_last_xact_replay_timestamp() and
 * pg_stat_wal_receiver.  0 or VB_EDB. */
int vb_store_replica_status(vb_store *st, vb_replica_status *out, vb_error *err);

#endif
