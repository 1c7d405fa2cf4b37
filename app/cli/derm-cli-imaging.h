/* derm-cli-imaging.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo commands of dermis-cli: analyze, align, compare.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is the command name and the rest its arguments. Returns FALSE,
 * printing nothing, when @argv[0] is not one of the photo commands; otherwise
 * runs it and stores a DermExitCode in @exit_code. */
gboolean derm_cli_imaging_dispatch (int    argc,
                                    char **argv,
                                    int   *exit_code);

G_END_DECLS
