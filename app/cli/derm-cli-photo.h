/* derm-cli-photo.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo commands of dermis-cli: import, list, verify, recover,
 * remove, restore, empty-removed, export.
 */
#pragma once

#include "derm-cli-common.h"
#include "derm-photo-library.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_photo_commands[];

/* The photo library over the store of @inv (derm_cli_open_store()), or
 * NULL with the failure printed and its exit code in @exit_code */
DermPhotoLibrary *derm_cli_open_library (DermCliInvocation *inv,
                                         int               *exit_code);

G_END_DECLS
