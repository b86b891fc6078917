variable "queue_id" {}

resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = var.queue_id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}

# A flow file named by a variable with no value: the flow is not checked.
variable "inbound_flow_file" {}

resource "genesyscloud_flow" "inbound" {
  filepath = var.inbound_flow_file
}

# A flow kept in S3 (the provider reads it): cxlint does not fetch it.
resource "genesyscloud_flow" "from_s3" {
  filepath = "s3://my-bucket/flows/inbound.yaml"
}

# A directory taken from a string as if it were an object: Terraform rejects it, and no variable
# is involved.
locals {
  flow_dir = "flows"
}

resource "genesyscloud_flow" "from_a_string" {
  filepath = "${local.flow_dir.inbound}/inbound.yaml"
}

# A flow naming queues cxlint cannot look up: by a substitution without a value, and by a name
# that only org state could have.
variable "support_queue" {}

resource "genesyscloud_flow" "support" {
  filepath      = "flows/support.yaml"
  substitutions = { support_queue = var.support_queue }
}

# Instances not known before apply: none of them is checked. Over a variable without a value,
# and over a function cxlint does not evaluate.
variable "team_codes" {}

resource "genesyscloud_routing_wrapupcode" "team" {
  for_each = var.team_codes
  name     = each.value
}

resource "genesyscloud_flow" "each_file" {
  for_each = toset(regexall("flows/[a-z]+[.]yaml", file("${path.module}/flows.json")))
  filepath = each.value
}

# A flow file that the configuration writes when it is applied: not there to read yet.
resource "local_sensitive_file" "generated" {
  filename = "${path.module}/generated/callback.yaml"
  content  = templatefile("${path.module}/flows/callback.yaml.tftpl", {})
}

resource "genesyscloud_flow" "generated" {
  filepath = local_sensitive_file.generated.filename
}
