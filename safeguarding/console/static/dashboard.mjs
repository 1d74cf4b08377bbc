// The dashboard's tables become sortable (MoJ Frontend's sortable table); without JavaScript they stay plain tables.
import { createAll } from '/assets/govuk/govuk-frontend.min.js'
import { SortableTable } from '/assets/moj/components/sortable-table/sortable-table.bundle.mjs'

createAll(SortableTable)
