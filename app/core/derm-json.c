/* derm-json.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-json"

#include "config.h"

#include "derm-client.h"
#include "derm-enums.h"
#include "derm-finding.h"
#include "derm-json.h"
#include "derm-screening.h"
#include "derm-treatment.h"

/* The domain objects store "" as NULL already; an empty string is
 * still written as null here so consumers see one form of "unset". */
static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL && value[0] != '\0')
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static JsonNode *
node_from_object (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

static JsonNode *
node_from_array (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

/**
 * derm_json_from_client:
 * @client: a #DermClient
 *
 * Returns: (transfer full): a JSON object node describing @client
 */
JsonNode *
derm_json_from_client (DermClient *client)
{
  JsonObject *object;
  JsonArray *concerns;
  DermConcerns flags;
  guint fitzpatrick;

  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", derm_client_get_id (client));
  set_string_or_null (object, "name", derm_client_get_name (client));
  set_string_or_null (object, "date_of_birth", derm_client_get_date_of_birth (client));
  set_string_or_null (object, "phone", derm_client_get_phone (client));
  set_string_or_null (object, "email", derm_client_get_email (client));

  fitzpatrick = derm_client_get_fitzpatrick (client);
  if (fitzpatrick == DERM_FITZPATRICK_UNSET)
    json_object_set_null_member (object, "fitzpatrick");
  else
    set_string_or_null (object, "fitzpatrick", derm_fitzpatrick_to_roman (fitzpatrick));

  concerns = json_array_new ();
  flags = derm_client_get_concerns (client);
  for (guint i = 0; i < DERM_N_CONCERNS; i++)
    {
      DermConcerns concern = derm_concern_nth (i);

      if ((flags & concern) != 0)
        json_array_add_string_element (concerns, derm_concern_to_key (concern));
    }
  json_object_set_array_member (object, "concerns", concerns);

  set_string_or_null (object, "goals", derm_client_get_goals (client));
  set_string_or_null (object, "notes", derm_client_get_notes (client));
  json_object_set_boolean_member (object, "archived", derm_client_get_archived (client));
  set_string_or_null (object, "created_at", derm_client_get_created_at (client));
  set_string_or_null (object, "updated_at", derm_client_get_updated_at (client));
  set_string_or_null (object, "last_visit", derm_client_get_last_visit (client));
  /* Why the client must not be treated today (the first contraindication
   * of the latest screening), or null */
  set_string_or_null (object, "do_not_treat", derm_client_get_do_not_treat (client));

  return node_from_object (object);
}

/**
 * derm_json_from_screening:
 * @screening: a #DermScreening
 *
 * Every question is written, so a consumer never has to tell a missing
 * key from an unanswered question.
 *
 * Returns: (transfer full): a JSON object node describing @screening
 */
JsonNode *
derm_json_from_screening (DermScreening *screening)
{
  JsonObject *object;
  JsonObject *answers;

  g_return_val_if_fail (DERM_IS_SCREENING (screening), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", derm_screening_get_id (screening));
  json_object_set_int_member (object, "client_id", derm_screening_get_client_id (screening));
  set_string_or_null (object, "date", derm_screening_get_date (screening));
  set_string_or_null (object, "created_at", derm_screening_get_created_at (screening));

  answers = json_object_new ();
  for (guint q = 0; q < DERM_N_QUESTIONS; q++)
    {
      DermQuestion question = (DermQuestion) q;
      JsonObject *answer = json_object_new ();

      json_object_set_string_member (answer, "answer",
                                     derm_answer_to_key (derm_screening_get_answer (screening, question)));
      set_string_or_null (answer, "details", derm_screening_get_details (screening, question));
      set_string_or_null (answer, "date", derm_screening_get_date_for (screening, question));
      json_object_set_object_member (answers, derm_question_to_key (question), answer);
    }
  json_object_set_object_member (object, "answers", answers);

  return node_from_object (object);
}

/**
 * derm_json_from_treatment:
 * @treatment: a #DermTreatment
 *
 * Returns: (transfer full): a JSON object node describing @treatment
 */
JsonNode *
derm_json_from_treatment (DermTreatment *treatment)
{
  JsonObject *object;
  JsonArray *depths;
  guint n_depths;
  guint passes;

  g_return_val_if_fail (DERM_IS_TREATMENT (treatment), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "id", derm_treatment_get_id (treatment));
  json_object_set_int_member (object, "client_id", derm_treatment_get_client_id (treatment));
  set_string_or_null (object, "date", derm_treatment_get_date (treatment));
  set_string_or_null (object, "practitioner", derm_treatment_get_practitioner (treatment));
  set_string_or_null (object, "areas", derm_treatment_get_areas (treatment));

  depths = json_array_new ();
  n_depths = derm_treatment_get_n_depths (treatment);
  for (guint i = 0; i < n_depths; i++)
    {
      JsonObject *depth = json_object_new ();

      json_object_set_string_member (depth, "zone", derm_treatment_get_depth_zone (treatment, i));
      json_object_set_double_member (depth, "mm", derm_treatment_get_depth_mm (treatment, i));
      json_array_add_object_element (depths, depth);
    }
  json_object_set_array_member (object, "depths", depths);

  set_string_or_null (object, "device", derm_treatment_get_device (treatment));
  set_string_or_null (object, "cartridge_lot", derm_treatment_get_cartridge_lot (treatment));
  passes = derm_treatment_get_passes (treatment);
  if (passes == 0)
    json_object_set_null_member (object, "passes");
  else
    json_object_set_int_member (object, "passes", passes);
  set_string_or_null (object, "topical", derm_treatment_get_topical (treatment));
  set_string_or_null (object, "anaesthetic", derm_treatment_get_anaesthetic (treatment));
  set_string_or_null (object, "immediate_response", derm_treatment_get_immediate_response (treatment));
  json_object_set_boolean_member (object, "aftercare_given", derm_treatment_get_aftercare_given (treatment));
  set_string_or_null (object, "notes", derm_treatment_get_notes (treatment));
  set_string_or_null (object, "override_reason", derm_treatment_get_override_reason (treatment));
  set_string_or_null (object, "cautions_acknowledged", derm_treatment_get_cautions_acknowledged (treatment));
  set_string_or_null (object, "created_at", derm_treatment_get_created_at (treatment));
  set_string_or_null (object, "updated_at", derm_treatment_get_updated_at (treatment));

  return node_from_object (object);
}

/**
 * derm_json_from_finding:
 * @finding: a #DermFinding
 *
 * Returns: (transfer full): a JSON object node describing @finding
 */
JsonNode *
derm_json_from_finding (DermFinding *finding)
{
  JsonObject *object;

  g_return_val_if_fail (DERM_IS_FINDING (finding), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "severity",
                                 derm_severity_to_key (derm_finding_get_severity (finding)));
  set_string_or_null (object, "code", derm_finding_get_code (finding));
  set_string_or_null (object, "reason", derm_finding_get_reason (finding));
  set_string_or_null (object, "until", derm_finding_get_until (finding));

  return node_from_object (object);
}

typedef enum
{
  ITEM_CLIENT,
  ITEM_SCREENING,
  ITEM_TREATMENT,
  ITEM_FINDING,
} ItemKind;

static JsonNode *
array_from_ptr_array (GPtrArray *items,
                      ItemKind   kind)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      JsonNode *node = NULL;

      switch (kind)
        {
        case ITEM_CLIENT:
          node = derm_json_from_client (item);
          break;
        case ITEM_SCREENING:
          node = derm_json_from_screening (item);
          break;
        case ITEM_TREATMENT:
          node = derm_json_from_treatment (item);
          break;
        case ITEM_FINDING:
          node = derm_json_from_finding (item);
          break;
        default:
          g_assert_not_reached ();
        }

      json_array_add_element (array, node);
    }

  return node_from_array (array);
}

/**
 * derm_json_from_clients:
 * @array: (nullable) (element-type DermClient): clients
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
derm_json_from_clients (GPtrArray *array)
{
  return array_from_ptr_array (array, ITEM_CLIENT);
}

/**
 * derm_json_from_screenings:
 * @array: (nullable) (element-type DermScreening): screenings
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
derm_json_from_screenings (GPtrArray *array)
{
  return array_from_ptr_array (array, ITEM_SCREENING);
}

/**
 * derm_json_from_treatments:
 * @array: (nullable) (element-type DermTreatment): sessions
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
derm_json_from_treatments (GPtrArray *array)
{
  return array_from_ptr_array (array, ITEM_TREATMENT);
}

/**
 * derm_json_from_findings:
 * @array: (nullable) (element-type DermFinding): findings
 *
 * Returns: (transfer full): a JSON array node
 */
JsonNode *
derm_json_from_findings (GPtrArray *array)
{
  return array_from_ptr_array (array, ITEM_FINDING);
}

/**
 * derm_json_to_string:
 * @node: a #JsonNode
 * @pretty: whether to indent the output
 *
 * Returns: (transfer full): @node as UTF-8 JSON text, without a
 *   trailing newline
 */
char *
derm_json_to_string (JsonNode *node,
                     gboolean  pretty)
{
  g_autoptr (JsonGenerator) generator = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}
