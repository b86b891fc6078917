resource "genesyscloud_routing_wrapupcode" "Resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_wrapupcode" "Escalated" {
  name = "Escalated"
}
resource "genesyscloud_routing_wrapupcode" "No_Answer" {
  name = "No Answer"
}
module "support" {
  source   = "./modules/queue"
  name     = "Support"
  code_ids = ["${genesyscloud_routing_wrapupcode.Resolved.id}", "${genesyscloud_routing_wrapupcode.No_Answer.id}"]
}
resource "genesyscloud_outbound_ruleset" "Retry" {
  name     = "Retry"
  queue_id = "${module.support.queue_id}"
  rules {
    name     = "escalated"
    category = "DIALER_WRAPUP"
    conditions {
      codes = ["${genesyscloud_routing_wrapupcode.Escalated.id}"]
      type  = "wrapupCondition"
    }
  }
}
