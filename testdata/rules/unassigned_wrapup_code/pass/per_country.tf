# One queue per country, the countries given at apply time: however many queues there are, each
# offers both codes.
variable "countries" {
  type = list(string)
}

resource "genesyscloud_routing_wrapupcode" "sales" {
  for_each = toset(["Sales", "Support"])
  name     = each.value
}

resource "genesyscloud_routing_queue" "per_country" {
  for_each     = toset(var.countries)
  name         = "Sales ${each.value}"
  wrapup_codes = [for c in genesyscloud_routing_wrapupcode.sales : c.id]
}
