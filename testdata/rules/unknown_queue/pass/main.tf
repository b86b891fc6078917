resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}

data "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_outbound_campaign" "renewals" {
  name     = "Renewals"
  queue_id = genesyscloud_routing_queue.sales.id
}

resource "genesyscloud_outbound_campaign" "support" {
  name     = "Support callbacks"
  queue_id = data.genesyscloud_routing_queue.support.id
}

# A raw id cannot be checked without org state; an unset variable is unknown.
variable "tier2_queue_id" {}

resource "genesyscloud_outbound_ruleset" "callbacks" {
  name     = "Callbacks"
  queue_id = "2c7e4f1a-8b3d-4e6f-9a1c-5d7e8f9a0b1c"
}

resource "genesyscloud_task_management_worktype" "escalations" {
  name             = "Escalations"
  default_queue_id = var.tier2_queue_id
}
