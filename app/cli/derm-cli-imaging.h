/* derm-cli-imaging.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The photo measurement commands of dermis-cli: analyze, align, compare.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_imaging_commands[];

G_END_DECLS
