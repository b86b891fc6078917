variable "name" {}
variable "code_ids" {}

resource "genesyscloud_routing_queue" "q" {
  name         = var.name
  wrapup_codes = var.code_ids
}

output "queue_id" {
  value = genesyscloud_routing_queue.q.id
}
