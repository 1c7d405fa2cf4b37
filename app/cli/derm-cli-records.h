/* derm-cli-records.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client, screening and session commands of dermis-cli.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_records_commands[];

G_END_DECLS
