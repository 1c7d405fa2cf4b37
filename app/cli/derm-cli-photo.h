/* derm-cli-photo.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "photo" command of dermis-cli: import, list, verify, recover,
 * remove, restore, empty-removed, export.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is the command name and the rest its arguments. Returns FALSE,
 * printing nothing, when @argv[0] is not "photo"; otherwise runs the
 * subcommand and stores a DermExitCode in @exit_code. */
gboolean derm_cli_photo_dispatch (int    argc,
                                  char **argv,
                                  int   *exit_code);

G_END_DECLS
