/* derm-combo-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2's combo rows cut every choice at 20 characters
 * ("I · Always burns, neve…"); a clinic's choices are sentences and
 * protocol names that must be read whole.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Shows each choice of @row, in its list and as its value, whole:
 * wrapped on several lines instead of cut off. Works for string lists
 * and for models shown through the row's expression. */
void derm_combo_row_show_whole_items (AdwComboRow *row);

G_END_DECLS
