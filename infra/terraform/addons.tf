# What the manifests need before they can run: the Strimzi operator (it owns the Kafka, KafkaNodePool
# and KafkaTopic resources) and the ingress-nginx controller (the Ingress class `nginx`; the network
# policies admit it by its namespace and pod labels, so both names stay as they are here).

data "google_client_config" "current" {}

locals {
  cluster_endpoint = "https://${google_container_cluster.conduit.endpoint}"
  cluster_ca       = google_container_cluster.conduit.master_auth[0].cluster_ca_certificate
}

provider "helm" {
  kubernetes = {
    host                   = local.cluster_endpoint
    token                  = data.google_client_config.current.access_token
    cluster_ca_certificate = base64decode(local.cluster_ca)
  }
}

# A fixed address for the Ingress, so DNS can point at it before the controller exists.
resource "google_compute_address" "ingress" {
  name   = "${var.cluster_name}-ingress"
  region = var.region

  depends_on = [google_project_service.apis]
}

resource "helm_release" "ingress_nginx" {
  name             = "ingress-nginx"
  namespace        = "ingress-nginx"
  create_namespace = true
  repository       = "https://kubernetes.github.io/ingress-nginx"
  chart            = "ingress-nginx"
  version          = var.ingress_nginx_chart_version
  atomic           = true

  values = [yamlencode({
    controller = {
      replicaCount = 2
      service = {
        loadBalancerIP = google_compute_address.ingress.address
        # keep the client's address (the gateway's rate limit and logs see it)
        externalTrafficPolicy = "Local"
      }
      resources = {
        requests = { cpu = "100m", memory = "128Mi" }
        limits   = { memory = "512Mi" }
      }
    }
  })]

  depends_on = [google_container_node_pool.platform]
}

resource "helm_release" "strimzi" {
  name             = "strimzi"
  namespace        = "strimzi"
  create_namespace = true
  repository       = "oci://quay.io/strimzi-helm"
  chart            = "strimzi-kafka-operator"
  version          = var.strimzi_version
  atomic           = true

  # watch the platform's namespace only; the chart makes its RoleBindings there, so it must exist
  values = [yamlencode({
    watchNamespaces = ["conduit"]
  })]

  depends_on = [kustomization_resource.first]
}
