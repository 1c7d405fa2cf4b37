/* derm-cli-plan.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "derm-cli-plan.h"
