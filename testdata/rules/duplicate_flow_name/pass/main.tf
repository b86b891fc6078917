# The same name for flows of different types is allowed.
resource "genesyscloud_flow" "inbound" {
  filepath = "flows/inbound.yaml"
}

resource "genesyscloud_flow" "in_queue" {
  filepath = "flows/in_queue.yaml"
}

# One file for several flows, each named by its substitution.
resource "genesyscloud_flow" "regional" {
  for_each = {
    north = "North IVR"
    south = "South IVR"
  }
  filepath = "flows/regional.yaml"
  substitutions = {
    flow_name = each.value
  }
}

# A name known only at apply time is not compared.
variable "campaign_flow_name" {
  type = string
}

resource "genesyscloud_flow" "campaign_a" {
  filepath = "flows/regional.yaml"
  substitutions = {
    flow_name = var.campaign_flow_name
  }
}

resource "genesyscloud_flow" "campaign_b" {
  filepath = "flows/regional.yaml"
  substitutions = {
    flow_name = var.campaign_flow_name
  }
}

# A module called once per team that names each team's flow from its input.
module "team_a" {
  source = "./modules/team"
  team   = "A"
}

module "team_b" {
  source = "./modules/team"
  team   = "B"
}
