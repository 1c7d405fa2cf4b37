/* derm-cli-clinic.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The clinic's calendar from the command line: time zone, slot step,
 * opening hours, closed days, rooms, practitioners and their own hours
 * and leave (clinic calendar, timezone, slot-step, hours, close, reopen,
 * room, practitioner, availability). The letterhead is clinic show/set
 * (derm-cli-documents.c).
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_clinic_commands[];

G_END_DECLS
