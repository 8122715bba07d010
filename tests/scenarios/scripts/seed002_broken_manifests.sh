# Seed 002 L374-399 and L429-461: the liveness and readiness manifests exactly as the seed's
# `cat nginx-demo.yaml` printed them. Their header is cut off (`apiVersion: v1` is followed by an
# indented `  name:` line, without `kind:` and `metadata:`), which is not YAML: kubectl rejects the
# file before anything reaches the API server. (The seed's next line, `kubectl apply`, says
# `created`, so the file it applied was whole: seed002_pods_and_probes.sh replays that one.)
#
# kubectl v1.32 (/usr/bin/kubectl, `apply -f FILE --dry-run=client`) prints for both:
#   error: error parsing nginx-demo.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context

kubectl create namespace pod-example
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1
  name: nginx-demo-liveness-probe # Pod 名称
spec: 
  containers: 
  - name: nginx # 容器名称
    startupProbe: # 启动探针配置
      exec:
        command:
        - sh
        - -c
        - 'echo "<h1>hello</h1>" > wellcome.html;'
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
    livenessProbe: # 存活探针配置
      httpGet:
        path: /wellcome.html
        port: 80
      initialDelaySeconds: 5 # 指定第一次探测前等待 5 秒
      periodSeconds: 5 # 每隔 5 秒进行一个探测
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
EOF
kubectl apply -f nginx-demo.yaml
kubectl get pod -n pod-example
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 
  name: nginx-demo-readiness-probe
spec:
  containers:
  - name: nginx # 容器名称
    startupProbe: # 启动探针配置
      httpGet:
        path: /index.html
        port: 80
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
    livenessProbe: # 存活探针配置
      httpGet:
        path: /index.html
        port: 80
      initialDelaySeconds: 5 # 指定第一次探测前等待 5 秒
      periodSeconds: 5 # 每隔 5 秒进行一个探测
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # http 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
    readinessProbe: # 就绪探针配置
      httpGet:
        path: /wellcome.html
        port: 80
      periodSeconds: 5 # 每隔 5 秒进行一个探测
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # http 请求成功 1 次即判定为探测成功
      timeoutSeconds: 5 # 请求超时时间
EOF
kubectl apply -f nginx-demo.yaml
kubectl create -f nginx-demo.yaml
kubectl get pod -n pod-example
