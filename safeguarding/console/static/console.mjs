// Enhances the console's pages once GOV.UK Frontend's script is supported; every page works without it.
import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()
