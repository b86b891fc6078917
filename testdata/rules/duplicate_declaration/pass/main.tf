resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support_2" {
  name = "Support 2"
}

# Names in any script, with dashes and underscores.
resource "genesyscloud_routing_queue" "Déjà_en_relation-2" {
  name = "Déjà en relation"
}

variable "_private-queue" {}
