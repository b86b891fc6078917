resource "genesyscloud_flow" "outbound" {
  filepath = "flow.yaml"
  substitutions = {
    flow_name        = "Renewals"
    wrapup_code_name = "Sale"
  }
}
