variable "team" {
  type = string
}

resource "genesyscloud_flow" "in_queue" {
  filepath = "${path.module}/in_queue.yaml"
  substitutions = {
    team = var.team
  }
}
