/* derm-cli-imaging.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "derm-cli-imaging.h"
#include "derm-cli-common.h"

#include <string.h>

gboolean
derm_cli_imaging_dispatch (int    argc,
                           char **argv,
                           int   *exit_code)
{
  if (argc < 1 || (strcmp (argv[0], "analyze") != 0 &&
                   strcmp (argv[0], "align") != 0 &&
                   strcmp (argv[0], "compare") != 0))
    return FALSE;

  g_printerr ("dermis-cli %s: not available in this build\n", argv[0]);
  *exit_code = DERM_EXIT_FAILURE;
  return TRUE;
}
