/* derm-agenda-grid.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing of a week: days by hours, each day split into lanes (one
 * per room or per practitioner), appointments as blocks. Drawn with
 * GtkSnapshot, text layouts cached per appointment, so a busy week
 * redraws well inside a frame. A click on a block activates it, a click
 * on a free slot asks to book there ("slot-activated"), and a booked
 * block dragged elsewhere asks to move it there ("appointment-dropped").
 */
#pragma once

#include <adwaita.h>

#include "derm-appointment.h"
#include "derm-clinic.h"

G_BEGIN_DECLS

typedef enum
{
  DERM_AGENDA_GROUP_ROOM         = 0,
  DERM_AGENDA_GROUP_PRACTITIONER = 1,
} DermAgendaGroup;

#define DERM_TYPE_AGENDA_GRID (derm_agenda_grid_get_type ())
G_DECLARE_FINAL_TYPE (DermAgendaGrid, derm_agenda_grid, DERM, AGENDA_GRID, GtkWidget)

GtkWidget       *derm_agenda_grid_new              (void);
void             derm_agenda_grid_set_clinic       (DermAgendaGrid  *self,
                                                    DermClinic      *clinic);
/* The Monday the week starts on */
void             derm_agenda_grid_set_week         (DermAgendaGrid  *self,
                                                    const GDate     *monday);
void             derm_agenda_grid_get_week         (DermAgendaGrid  *self,
                                                    GDate           *monday);
/* DermAppointment objects of the week (any status); takes a reference */
void             derm_agenda_grid_set_appointments (DermAgendaGrid  *self,
                                                    GPtrArray       *appointments);
DermAgendaGroup  derm_agenda_grid_get_group        (DermAgendaGrid  *self);
void             derm_agenda_grid_set_group        (DermAgendaGrid  *self,
                                                    DermAgendaGroup  group);
/* The appointment drawn at (@x, @y), and its block; NULL when none */
DermAppointment *derm_agenda_grid_get_appointment_at (DermAgendaGrid *self,
                                                    double           x,
                                                    double           y,
                                                    graphene_rect_t *block);
/* The slot at (@x, @y): its @day, its start @minute (down to the clinic's
 * slot step) and the room or practitioner of its lane (NULL for the
 * lane of appointments without one); FALSE outside the days and hours */
gboolean         derm_agenda_grid_get_slot_at      (DermAgendaGrid  *self,
                                                    double           x,
                                                    double           y,
                                                    GDate           *day,
                                                    int             *minute,
                                                    const char     **lane);
/* The block of the appointment @id; FALSE when it is not drawn */
gboolean         derm_agenda_grid_get_block        (DermAgendaGrid  *self,
                                                    gint64           id,
                                                    graphene_rect_t *block);
/* The instant "past" and the now line are drawn against: the store's
 * clock (derm_store_dup_now()); NULL for the real one */
void             derm_agenda_grid_set_now          (DermAgendaGrid  *self,
                                                    GDateTime       *now);
/* Drops the cached text layouts (for the benchmark's cold frames) */
void             derm_agenda_grid_flush_cache      (DermAgendaGrid  *self);

G_END_DECLS
