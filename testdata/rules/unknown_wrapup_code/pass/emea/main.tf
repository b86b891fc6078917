variable "code_ids" {
  type = list(string)
}

resource "genesyscloud_routing_queue" "billing" {
  name         = "Billing"
  wrapup_codes = var.code_ids
}
