project = "acme-site"

app "web" {
  path = "frontend"

  build {
    use "docker" {
      dockerfile         = "/opt/pilot/static-site.Dockerfile"
      disable_entrypoint = true
      build_args = {
        OUTPUT_DIR = "dist"
      }
    }
  }

  deploy {
    use "exec" {
      command = ["pilot-sync", "--provider", "aws", "--region", "us-east-1", "--bucket", "acme-site-web-7f3a", "--distribution", "E2QWRUHAPOMQZL", "--image", "{{.Input.DockerImageFull}}"]
    }
  }
}
