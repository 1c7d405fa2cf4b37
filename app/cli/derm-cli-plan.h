/* derm-cli-plan.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The planner commands of dermis-cli: plan protocols, create, list,
 * move, cancel, export-ics.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_plan_commands[];

G_END_DECLS
