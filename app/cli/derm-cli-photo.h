/* derm-cli-photo.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo commands of dermis-cli: import, list, verify, recover,
 * remove, restore, empty-removed, export.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_photo_commands[];

G_END_DECLS
