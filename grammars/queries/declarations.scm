; What a package index records from a file's top-level declarations. Run on import and type
; declaration nodes only (their ranges), never over function bodies.

; import "sync" · import s "sync" · import . "context" · import _ "embed"
(import_spec
  name: (_)? @import.name
  path: (_) @import.path)

; type Server struct { wg sync.WaitGroup; sync.Mutex; a, b int }: one match per field line.
(type_spec
  name: (type_identifier) @struct.name
  type: (struct_type
    (field_declaration_list
      (field_declaration) @struct.field)))
