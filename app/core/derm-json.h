/* derm-json.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON serialisation of the domain objects, as dermis-cli prints them
 * and as an export would write them. Field names are stable snake_case;
 * unset strings and dates are null.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "derm-types.h"

G_BEGIN_DECLS

/* {id, name, date_of_birth, phone, email, fitzpatrick, concerns,
 *  goals, notes, archived, created_at, updated_at, last_visit} */
JsonNode *derm_json_from_client     (DermClient    *client);
/* {id, client_id, date, created_at,
 *  answers: {question-key: {answer, details, date}}} with every question */
JsonNode *derm_json_from_screening  (DermScreening *screening);
/* {id, client_id, date, practitioner, areas, depths: [{zone, mm}], device,
 *  cartridge_lot, passes, topical, anaesthetic, immediate_response,
 *  aftercare_given, notes, created_at, updated_at}; passes is null when
 *  not recorded */
JsonNode *derm_json_from_treatment  (DermTreatment *treatment);
/* {severity, code, reason, until} */
JsonNode *derm_json_from_finding    (DermFinding   *finding);

/* An array of the above from a GPtrArray of DermClient, DermScreening,
 * DermTreatment or DermFinding; @array may be NULL for an empty array. */
JsonNode *derm_json_from_clients    (GPtrArray     *array);
JsonNode *derm_json_from_screenings (GPtrArray     *array);
JsonNode *derm_json_from_treatments (GPtrArray     *array);
JsonNode *derm_json_from_findings   (GPtrArray     *array);

/* Serialises @node, indented by two spaces when @pretty */
char     *derm_json_to_string       (JsonNode      *node,
                                     gboolean       pretty);

G_END_DECLS
