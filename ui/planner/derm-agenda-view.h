/* derm-agenda-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The week agenda: the week's appointments by day and hour, in lanes by
 * room or by practitioner, with the week navigation above. Clicking an
 * appointment shows what it is and what can be done with it.
 */
#pragma once

#include <adwaita.h>

#include "derm-agenda-grid.h"
#include "derm-types.h"

G_BEGIN_DECLS

#define DERM_TYPE_AGENDA_VIEW (derm_agenda_view_get_type ())
G_DECLARE_FINAL_TYPE (DermAgendaView, derm_agenda_view, DERM, AGENDA_VIEW, GtkWidget)

GtkWidget      *derm_agenda_view_new               (void);
DermStore      *derm_agenda_view_get_store         (DermAgendaView *self);
void            derm_agenda_view_set_store         (DermAgendaView *self,
                                                    DermStore      *store);
/* Shows the week holding @date */
void            derm_agenda_view_set_week          (DermAgendaView *self,
                                                    const GDate    *date);
/* The Monday of the week shown */
void            derm_agenda_view_get_week          (DermAgendaView *self,
                                                    GDate          *monday);
/* Reads the clinic and the week's appointments again, on the store's
 * worker; the view shows them when they come */
void            derm_agenda_view_reload            (DermAgendaView *self);
/* TRUE while a reload reads the store (the "loading" property) */
gboolean        derm_agenda_view_get_loading       (DermAgendaView *self);
/* The week's DermAppointment objects, by start */
GPtrArray      *derm_agenda_view_get_appointments  (DermAgendaView *self);
DermAgendaGrid *derm_agenda_view_get_grid          (DermAgendaView *self);
/* Shows the popover of appointment @id, as a click on it does; FALSE
 * when it is not in the week shown */
gboolean        derm_agenda_view_open_appointment  (DermAgendaView *self,
                                                    gint64          id);
/* The appointment popover last shown, NULL before the first */
GtkPopover     *derm_agenda_view_get_popover       (DermAgendaView *self);

G_END_DECLS
