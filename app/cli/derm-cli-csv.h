/* derm-cli-csv.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client import command of dermis-cli and the CSV side of client export.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_csv_commands[];

/* client export without an ID: the client list (with the archived ones
 * when @archived) as CSV to @out, through the safe export path */
int derm_cli_export_clients_csv (DermCliInvocation *inv,
                                 const char        *out,
                                 gboolean           force,
                                 gboolean           archived,
                                 gboolean           bom);

G_END_DECLS
