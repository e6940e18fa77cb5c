#ifndef LAMPCTL_CLIBPQ_SHIM_H
#define LAMPCTL_CLIBPQ_SHIM_H

#include <libpq-fe.h>

/* The PG_DIAG_* field codes are char macros that Swift does not import. */
static const int LAMPCTL_PG_DIAG_SQLSTATE = 'C';
static const int LAMPCTL_PG_DIAG_MESSAGE_PRIMARY = 'M';
static const int LAMPCTL_PG_DIAG_MESSAGE_DETAIL = 'D';
static const int LAMPCTL_PG_DIAG_MESSAGE_HINT = 'H';
static const int LAMPCTL_PG_DIAG_SEVERITY_NONLOCALIZED = 'V';

#endif
