/* derm-cli-plan.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner commands of dermis-cli: plan create, list, move, cancel,
 * export-ics, protocols.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @argv[0] is "plan" and the rest its arguments. Returns FALSE, printing
 * nothing, when @argv[0] is not "plan"; otherwise runs the command and
 * stores a DermExitCode in @exit_code. */
gboolean derm_cli_plan_dispatch (int    argc,
                                 char **argv,
                                 int   *exit_code);

G_END_DECLS
