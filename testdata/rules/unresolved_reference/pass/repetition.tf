# `each`, `count` and `self` where they exist, and a `for` variable named `each`.
variable "repeated_codes" {
  type    = set(string)
  default = ["Escalation", "Callback later"]
}

resource "genesyscloud_routing_wrapupcode" "escalation" {
  for_each    = var.repeated_codes
  name        = each.key
  description = "code ${each.value}"
  lifecycle {
    postcondition {
      condition     = self.name == each.key
      error_message = "renamed"
    }
  }
}

resource "genesyscloud_routing_wrapupcode" "counted" {
  count = 2
  name  = "Counted ${count.index}"
  provisioner "local-exec" {
    command = "echo ${self.name}"
  }
}

module "escalation_queue" {
  source      = "./named"
  for_each    = var.repeated_codes
  prefix      = each.value
  division_id = "5e7d1b2c-0000-4000-8000-000000000001"
}

output "escalation_ids" {
  value = { for each, code in genesyscloud_routing_wrapupcode.escalation : each => code.id }
}
