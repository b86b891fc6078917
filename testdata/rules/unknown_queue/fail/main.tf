resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_outbound_campaign" "renewals" {
  name     = "Renewals"
  queue_id = genesyscloud_routing_wrapupcode.resolved.id
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

# A queue's name where its id goes: the help names the reference to write.
resource "genesyscloud_outbound_ruleset" "callbacks" {
  name     = "Callbacks"
  queue_id = "Support"
}

# The same through a variable: reported where the value is used.
variable "tier2_queue" {
  default = "Tier 2"
}

resource "genesyscloud_task_management_worktype" "escalations" {
  name             = "Escalations"
  default_queue_id = var.tier2_queue
}
