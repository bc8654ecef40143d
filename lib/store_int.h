/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The inside of a vb_store, shared by the store's own source files
 * (store.c, store_lookup.c) and by nothing else: every other module sees
 * the opaque type of store.h.
 */
#ifndef VB_STORE_INT_H
#define VB_STORE_INT_H

#include <libpq-fe.h>

struct vb_store {
	PGconn *conn;
	int listening; /* LISTEN issued on this connection (re-issued after a reset) */
};

#endif
