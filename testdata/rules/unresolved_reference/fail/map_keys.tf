# A key the map does not have: Terraform stops the plan with "Invalid index".
locals {
  code_ids = {
    resolved  = "1a0f4e2c-0000-4000-8000-000000000001"
    escalated = "1a0f4e2c-0000-4000-8000-000000000002"
  }
}

resource "genesyscloud_routing_queue" "map_keys" {
  name         = "Map keys"
  wrapup_codes = [local.code_ids["resolved"], local.code_ids["escalatd"]]
}
