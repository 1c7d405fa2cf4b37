/* derm-cli-backup.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeping data safe: backup create, verify, restore, and a client's
 * record: client export, client erase.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_backup_commands[];

G_END_DECLS
