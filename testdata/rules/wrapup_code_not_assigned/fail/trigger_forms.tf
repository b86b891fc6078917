# The same criteria written as Terraform's JSON syntax has to (a template of one interpolation),
# as a heredoc and as a string of JSON: each names `Escalated` on `Support`, which lacks it.
resource "genesyscloud_processautomation_trigger" "wrapped" {
  name           = "Wrapped"
  topic_name     = "v2.detail.events.conversation.{id}.acw"
  match_criteria = "${jsonencode([{ jsonPath = "wrapupCode", operator = "Equal", value = genesyscloud_routing_wrapupcode.escalated.id }, { jsonPath = "queueId", operator = "In", values = [genesyscloud_routing_queue.support.id] }])}"
}

resource "genesyscloud_processautomation_trigger" "heredoc" {
  name           = "Heredoc"
  topic_name     = "v2.detail.events.conversation.{id}.acw"
  match_criteria = <<-EOT
    [
      {"jsonPath": "wrapupCode", "operator": "Equal", "value": "${genesyscloud_routing_wrapupcode.escalated.id}"},
      {"jsonPath": "queueId", "operator": "In", "values": ["${genesyscloud_routing_queue.support.id}"]}
    ]
  EOT
}

resource "genesyscloud_processautomation_trigger" "string" {
  name           = "String"
  topic_name     = "v2.detail.events.conversation.{id}.acw"
  match_criteria = "[{\"jsonPath\": \"wrapupCode\", \"operator\": \"Equal\", \"value\": \"${genesyscloud_routing_wrapupcode.escalated.id}\"}, {\"jsonPath\": \"queueId\", \"operator\": \"Equal\", \"value\": \"${genesyscloud_routing_queue.support.id}\"}]"
}

# The criteria in a template file, rendered with `templatefile` (a loop over the queues).
resource "genesyscloud_processautomation_trigger" "template" {
  name       = "Template"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  match_criteria = templatefile("${path.module}/criteria.json.tftpl", {
    code   = genesyscloud_routing_wrapupcode.escalated.id
    queues = [genesyscloud_routing_queue.support.id]
  })
}

# The provider's `match_criteria` blocks (as its docs write a trigger): the path is `json_path`.
resource "genesyscloud_processautomation_trigger" "blocks" {
  name       = "Blocks"
  topic_name = "v2.detail.events.conversation.{id}.acw"
  enabled    = true
  target {
    id   = "00000000-0000-4000-8000-000000000001"
    type = "Workflow"
  }
  match_criteria {
    json_path = "wrapupCode"
    operator  = "Equal"
    value     = genesyscloud_routing_wrapupcode.escalated.id
  }
  match_criteria {
    json_path = "queueId"
    operator  = "In"
    values    = [genesyscloud_routing_queue.support.id]
  }
}
