/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test helper: read, set or delete one user metadata entry of a Xapian
 * index through lib/xap.h, so that tests/indexer.sh can make an index look
 * as if an older (or newer) vanban had written it.
 *
 *   xapmeta get DIR KEY          print the value ("" when unset)
 *   xapmeta set DIR KEY VALUE    set it and commit
 *   xapmeta delete DIR KEY       remove it and commit
 *
 * DIR may be the DATA/index symlink.  Exit status 0, 1 on an index error,
 * 2 on a usage error.
 */
#include "error.h"
#include "xap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: xapmeta get DIR KEY | set DIR KEY VALUE | delete DIR KEY\n");
	return 2;
}

int main(int argc, char **argv)
{
	vb_xap_writer *w = NULL;
	vb_error err;
	char *v = NULL;
	int rc, status = 1;

	vb_error_clear(&err);
	if (argc < 4 ||
	    !((!strcmp(argv[1], "get") && argc == 4) || (!strcmp(argv[1], "set") && argc == 5) ||
	      (!strcmp(argv[1], "delete") && argc == 4)))
		return usage();
	if (vb_xap_writer_open(&w, argv[2], VB_XAP_OPEN, &err))
		goto out;
	if (!strcmp(argv[1], "get")) {
		if (vb_xap_writer_get_metadata(w, argv[3], &v, &err))
			goto out;
		printf("%s\n", v);
	} else {
		/* Xapian removes an entry set to the empty string. */
		if (vb_xap_writer_set_metadata(w, argv[3], argv[1][0] == 's' ? argv[4] : "", &err))
			goto out;
	}
	rc = vb_xap_writer_close(w, &err);
	w = NULL;
	if (rc)
		goto out;
	status = 0;
out:
	if (status)
		fprintf(stderr, "xapmeta: %s\n", err.msg);
	free(v);
	vb_xap_writer_free(w);
	return status;
}
