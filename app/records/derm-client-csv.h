/* derm-client-csv.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clients to and from CSV (derm-csv.h): what dermis-cli client
 * import/export and the app's Import Clients… and Export Clients… share.
 *
 * An import is read whole and judged before anything is written: the
 * first row names the columns, each column is mapped to a client field
 * (guessed from its name, changeable in the app's preview), every row
 * becomes a client that derm_validate_client() accepts or an error that
 * names the row. Blank rows are left out. Only a file without a single
 * error is imported, in one transaction (derm_store_add_clients()).
 */
#pragma once

#include "derm-types.h"

G_BEGIN_DECLS

/* What an import reads at most: a clinic's whole client list is well
 * below this */
#define DERM_CLIENT_CSV_MAX_BYTES (8 * 1024 * 1024)
#define DERM_CLIENT_CSV_MAX_ROWS  20000

typedef enum
{
  DERM_CLIENT_COLUMN_IGNORE = 0,  /* not imported (an export's id column, unknown columns) */
  DERM_CLIENT_COLUMN_NAME,
  DERM_CLIENT_COLUMN_DATE_OF_BIRTH,
  DERM_CLIENT_COLUMN_PHONE,
  DERM_CLIENT_COLUMN_EMAIL,
  DERM_CLIENT_COLUMN_FITZPATRICK,
  DERM_CLIENT_COLUMN_CONCERNS,
  DERM_CLIENT_COLUMN_GOALS,
  DERM_CLIENT_COLUMN_NOTES,
  DERM_CLIENT_COLUMN_ARCHIVED,
  DERM_N_CLIENT_COLUMNS
} DermClientColumn;

/* The header an export writes ("date_of_birth") */
const char     *derm_client_column_to_key     (DermClientColumn column);
/* For the preview's column menus ("Date of birth", "Not imported") */
const char     *derm_client_column_to_label   (DermClientColumn column);
/* A column header: the key, the English or translated label, a few
 * common other names ("Birthday", "Telephone", "E-mail"), any case.
 * FALSE for a header that names no field; "id" is IGNORE and TRUE. */
gboolean        derm_client_column_from_header (const char       *header,
                                                DermClientColumn *column);

#define DERM_TYPE_CLIENT_CSV (derm_client_csv_get_type ())
G_DECLARE_FINAL_TYPE (DermClientCsv, derm_client_csv, DERM, CLIENT_CSV, GObject)

/* Parses @data (see derm_csv_parse()), guesses the mapping from the
 * header and evaluates every row; NULL with a DERM_CSV_ERROR when the
 * data is not CSV */
DermClientCsv  *derm_client_csv_new_from_data (const char     *data,
                                               gsize           length,
                                               const GDate    *today,
                                               GError        **error);
/* The same from a regular file of at most DERM_CLIENT_CSV_MAX_BYTES
 * (a folder, a device or a FIFO is refused before anything is read) */
DermClientCsv  *derm_client_csv_new_from_file (const char     *path,
                                               const GDate    *today,
                                               GError        **error);

guint           derm_client_csv_get_n_columns (DermClientCsv  *self);
const char     *derm_client_csv_get_header    (DermClientCsv  *self,
                                               guint           column);
DermClientColumn derm_client_csv_get_mapping  (DermClientCsv  *self,
                                               guint           column);
/* Maps @column to @field (a field mapped to another column is taken from
 * it) and evaluates every row again */
void            derm_client_csv_set_mapping   (DermClientCsv  *self,
                                               guint           column,
                                               DermClientColumn field);
/* The headers that name no field, for a warning; NULL-terminated */
GStrv           derm_client_csv_dup_unknown_headers (DermClientCsv *self);

/* The rows below the header, blank ones left out */
guint           derm_client_csv_get_n_rows    (DermClientCsv  *self);
/* The row's number in the file (the header is row 1) */
guint           derm_client_csv_get_row_number (DermClientCsv *self,
                                                guint          row);
/* The row's value in @column, "" when the row is short */
const char     *derm_client_csv_get_value     (DermClientCsv  *self,
                                               guint           row,
                                               guint           column);
/* The client the row makes, or NULL when it has an error */
DermClient     *derm_client_csv_get_client    (DermClientCsv  *self,
                                               guint           row);
/* "Row 4: Email: “ann@” is not an email address. …", or NULL */
const char     *derm_client_csv_get_error     (DermClientCsv  *self,
                                               guint           row);
guint           derm_client_csv_get_n_errors  (DermClientCsv  *self);
/* A problem of the whole mapping ("No column is the name. …"), or NULL */
const char     *derm_client_csv_get_mapping_error (DermClientCsv *self);
/* TRUE when there are rows, no mapping error and no row error */
gboolean        derm_client_csv_is_ready      (DermClientCsv  *self);
/* The clients of every row, new copies, ready for derm_store_add_clients() */
GPtrArray      *derm_client_csv_dup_clients   (DermClientCsv  *self);

/* Every field of @clients (a header row, then one row each, in the
 * order given), with the byte order mark first when @bom */
GBytes         *derm_client_csv_export        (GPtrArray      *clients,
                                               gboolean        bom);

G_END_DECLS
