/* derm-cli-common.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every dermis-cli command shares: its exit codes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  DERM_EXIT_OK        = 0,
  DERM_EXIT_FAILURE   = 1,  /* unexpected failure */
  DERM_EXIT_USAGE     = 2,  /* bad command line */
  DERM_EXIT_NOT_FOUND = 3,  /* no such client, session, file */
  DERM_EXIT_INVALID   = 4,  /* input that fails validation, an unreadable image */
  DERM_EXIT_STORAGE   = 5,  /* the store could not be opened or written */
  DERM_EXIT_MISMATCH  = 6,  /* photo verify found damaged or missing files */
} DermExitCode;

G_END_DECLS
