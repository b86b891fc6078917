variable "role_ids" {
  type    = list(string)
  default = ["1b9d5f3a-7c2e-4a6b-8d0f-4e6a2c8b0d93"]
}
variable "codes" {
  type    = list(string)
  default = ["Escalated"]
}
resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(var.codes)
  name     = each.key
}
resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = []
}
resource "genesyscloud_oauth_client" "c" {
  name                  = "C"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  dynamic "roles" {
    for_each = var.role_ids
    content {
      role_id     = roles.value
      division_id = "*"
    }
  }
}
resource "genesyscloud_outbound_ruleset" "r" {
  name     = "R"
  queue_id = genesyscloud_routing_queue.support.id
  dynamic "rules" {
    for_each = var.codes
    iterator = code
    content {
      name     = code.value
      category = "DIALER_WRAPUP"
      conditions {
        type  = "wrapupCondition"
        codes = [genesyscloud_routing_wrapupcode.all[code.value].id]
      }
    }
  }
}
resource "genesyscloud_routing_wrapupcode" "late" {
  name = "Late"
}
# A `dynamic` inside a nested block: in JSON an object expression, read as the block.
resource "genesyscloud_outbound_ruleset" "nested" {
  name     = "Nested"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "late"
    category = "DIALER_WRAPUP"
    dynamic "conditions" {
      for_each = [genesyscloud_routing_wrapupcode.late.id]
      iterator = late
      content {
        type  = "wrapupCondition"
        codes = [late.value]
      }
    }
  }
}
