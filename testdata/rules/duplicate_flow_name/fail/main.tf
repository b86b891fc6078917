# Two files that give their inbound call flow the same name: each apply publishes one over the
# other.
resource "genesyscloud_flow" "sales" {
  filepath = "flows/inbound.yaml"
  substitutions = {
    flow_name = "Main IVR"
  }
}

resource "genesyscloud_flow" "support" {
  filepath = "flows/support.yaml"
}

# A module called once per team that names its in-queue flow the same for every team.
module "team_a" {
  source = "./modules/team"
  team   = "A"
}

module "team_b" {
  source = "./modules/team"
  team   = "B"
}
