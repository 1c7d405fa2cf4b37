/* derm-cli-backup.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backup commands of dermis-cli: backup create, verify, restore.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_backup_commands[];

G_END_DECLS
