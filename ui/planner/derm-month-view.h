/* derm-month-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A month at a glance: each day with how many appointments it has and
 * the first of them; clicking a day asks to show its week.
 */
#pragma once

#include <adwaita.h>

#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_MONTH_VIEW (derm_month_view_get_type ())
G_DECLARE_FINAL_TYPE (DermMonthView, derm_month_view, DERM, MONTH_VIEW, GtkWidget)

GtkWidget *derm_month_view_new            (void);
DermStore *derm_month_view_get_store      (DermMonthView *self);
void       derm_month_view_set_store      (DermMonthView *self,
                                           DermStore     *store);
/* Shows the month holding @date */
void       derm_month_view_set_month      (DermMonthView *self,
                                           const GDate   *date);
/* The first of the month shown */
void       derm_month_view_get_month      (DermMonthView *self,
                                           GDate         *first);
void       derm_month_view_reload         (DermMonthView *self);
/* TRUE while a reload reads the store (it reads on the store's worker) */
gboolean        derm_month_view_get_loading        (DermMonthView  *self);
/* Appointments (cancelled and missed ones left out) on @date, when shown */
guint      derm_month_view_get_day_count  (DermMonthView *self,
                                           const GDate   *date);
/* What the day's cell says under its number: "2 appointments", the
 * closed day's name, or both; NULL when @date is not shown */
const char *derm_month_view_get_day_summary (DermMonthView *self,
                                           const GDate   *date);
/* Bookings on @date that break a rule now (re-validated when read), as
 * the day's "needs attention" badge counts them; 0 when no badge */
guint      derm_month_view_get_day_attention (DermMonthView *self,
                                           const GDate   *date);

G_END_DECLS
