# Queues whose number is known only at apply time offer the codes they name, and only those:
# `Callback Requested` is still on no queue.
variable "countries" {
  type = list(string)
}

resource "genesyscloud_routing_queue" "per_country" {
  for_each     = toset(var.countries)
  name         = "Support ${each.value}"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}
