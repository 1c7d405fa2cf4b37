/* derm-aftercare-sheet.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-document"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-aftercare-sheet.h"
#include "derm-appointment.h"
#include "derm-client.h"
#include "derm-store-planner.h"
#include "derm-treatment.h"
#include "derm-validate.h"

char *
derm_document_next_appointment (DermStore     *store,
                                gint64         client_id,
                                const GDate   *session_day,
                                GDate         *next_day,
                                GError       **error)
{
  g_autoptr (GPtrArray) appointments = derm_store_list_client_appointments (store, client_id, error);

  if (appointments == NULL)
    return NULL;
  for (guint i = 0; i < appointments->len; i++)
    {
      DermAppointment *a = g_ptr_array_index (appointments, i);
      g_autoptr (GDateTime) start = NULL;
      g_autofree char *when = NULL;
      GDate day;

      if (derm_appointment_get_status (a) != DERM_APPOINTMENT_BOOKED ||
          !derm_appointment_get_local_date (a, &day) ||
          g_date_compare (&day, session_day) <= 0)
        continue;
      if (next_day != NULL)
        *next_day = day;
      start = derm_appointment_dup_start (a);
      /* Translators: an appointment's day and time, as strftime() formats */
      when = g_date_time_format (start, _("%A %-d %B %Y at %H:%M"));
      if (derm_appointment_get_kind (a) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
        return g_strdup_printf (_("%s (follow-up photos)"), when);
      return g_steal_pointer (&when);
    }
  return g_strdup ("");
}

static char *
format_depths (DermTreatment *treatment)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < derm_treatment_get_n_depths (treatment); i++)
    {
      g_autofree char *mm = g_strdup_printf ("%.2g", derm_treatment_get_depth_mm (treatment, i));

      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: a facial zone and its needle depth: "forehead 0.5 mm" */
      g_string_append_printf (text, _("%s %s mm"), derm_treatment_get_depth_zone (treatment, i), mm);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

DermDocument *
derm_aftercare_sheet_new (DermStore  *store,
                          gint64      treatment_id,
                          GError    **error)
{
  g_autoptr (DermTreatment) treatment = NULL;
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermAftercareTemplate) advice = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autofree char *protocol_name = NULL;
  g_autofree char *session_day = NULL;
  g_autofree char *depths = NULL;
  g_autofree char *next = NULL;
  g_autofree char *contact = NULL;
  gint64 protocol_id = 0;
  GDate day;

  g_return_val_if_fail (DERM_IS_STORE (store), NULL);

  treatment = derm_store_get_treatment (store, treatment_id, error);
  if (treatment == NULL)
    return NULL;
  client = derm_store_get_client (store, derm_treatment_get_client_id (treatment), error);
  if (client == NULL ||
      !derm_store_get_treatment_protocol (store, treatment_id, &protocol_id, &protocol_name, error))
    return NULL;
  advice = derm_store_get_aftercare_template (store, protocol_id, error);
  if (advice == NULL)
    return NULL;
  if (!derm_date_parse (derm_treatment_get_date (treatment), &day))
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                   _("Session %lld has no valid date. Correct it on the client page."), (long long) treatment_id);
      return NULL;
    }
  next = derm_document_next_appointment (store, derm_client_get_id (client), &day, NULL, error);
  if (next == NULL)
    return NULL;

  session_day = derm_date_format_display (derm_treatment_get_date (treatment), TRUE);
  doc = derm_document_new (_("Aftercare after your microneedling session"), session_day);
  if (!derm_document_load_letterhead (doc, store, error) ||
      !derm_store_get_letterhead (store, NULL, &contact, NULL, NULL, error))
    return NULL;

  derm_document_add_field (doc, _("Client"), derm_client_get_name (client));
  derm_document_add_field (doc, _("Session"), session_day);
  if (protocol_name != NULL)
    derm_document_add_field (doc, _("Treatment"), protocol_name);
  derm_document_add_field (doc, _("Areas treated"), derm_treatment_get_areas (treatment));
  depths = format_depths (treatment);
  derm_document_add_field (doc, _("Needle depth"), depths);
  derm_document_add_field (doc, _("Practitioner"), derm_treatment_get_practitioner (treatment));
  derm_document_add_field (doc, _("Next appointment"),
                           *next != '\0' ? next : _("None booked yet: call the clinic to book."));

  derm_document_add_heading (doc, _("Sun and SPF"));
  derm_document_add_paragraph (doc, derm_aftercare_template_get_sun (advice));
  derm_document_add_heading (doc, _("Cleanser and moisturiser"));
  derm_document_add_paragraph (doc, derm_aftercare_template_get_skincare (advice));
  derm_document_add_heading (doc, _("Active ingredients"));
  {
    guint days = derm_aftercare_template_get_actives_days (advice);
    g_autofree char *text = NULL;

    if (days == 0)
      text = g_strdup_printf (_("You may go back to your usual products from the day after the session, "
                                "including %s."), derm_aftercare_template_get_actives (advice));
    else
      {
        GDate until = day;
        g_autofree char *iso = NULL;
        g_autofree char *until_text = NULL;

        g_date_add_days (&until, days);
        iso = derm_date_format (&until);
        until_text = derm_date_format_display (iso, TRUE);
        text = g_strdup_printf (ngettext ("For %u day after the session, until %s, do not use: %s.",
                                          "For %u days after the session, until %s, do not use: %s.", days),
                                days, until_text, derm_aftercare_template_get_actives (advice));
      }
    derm_document_add_paragraph (doc, text);
  }
  derm_document_add_heading (doc, _("What is normal"));
  derm_document_add_paragraph (doc, derm_aftercare_template_get_normal (advice));
  derm_document_add_heading (doc, _("When to call the clinic"));
  derm_document_add_paragraph (doc, derm_aftercare_template_get_call (advice));
  if (*contact != '\0')
    derm_document_add_paragraph (doc, contact);
  return g_steal_pointer (&doc);
}
