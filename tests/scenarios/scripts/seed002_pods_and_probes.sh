# Seed 002 L119-507, replayed on one continuous timeline: the nginx-demo pod in namespace
# pod-example (L119-218), then the startup probes httpGet/tcpSocket/exec (L254-366), the liveness
# probe (L368-417) and the readiness probe (L419-507), typed as the seed typed them.
#
# t=0 is `kubectl create namespace`. The seed's nginx-demo AGE column is its clock: it was
# applied at t=5 and each later section starts at the age the seed printed (54m, 69m, 93m, 109m,
# 131m), so every AGE in this replay can be compared with the seed's.
#
# Differences in form, not in substance (the test notes each one where it asserts):
# - `vim nginx-demo.yaml` edits the file in place; a script writes the edited file with `cat >`.
#   The seed prints only the changed lines (L262-273, L311-321, L344-357) or the file with its
#   header cut off (L374-399, L429-461: `apiVersion: v1` directly followed by `  name:`, a YAML
#   error, see seed002_broken_manifests.sh); the files below are the base manifest of L137-170
#   with those changes, which is what the seed's `apply` (which succeeded) must have read.
#   The duplicated `periodSeconds` keys are kept: YAML keeps the last one (3).
# - Node-side steps are not kubectl and are left out: `curl 10.244.1.16` (L204) and `route -n`
#   (L208).
# - The seed's terminal was a TTY: `exec -it` here prints kubectl's "Unable to use a TTY" warning
#   on stderr and `ls` prints one name a line.

kubectl create namespace pod-example
sleep 5
kubectl get ns
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo # Pod 名称
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
  restartPolicy: OnFailure # Pod 重启策略
EOF
kubectl apply -f nginx-demo.yaml
sleep 13
kubectl get pod -n pod-example
sleep 19
kubectl describe pod nginx-demo -n pod-example
# the seed printed AGE 5m51s here and 5m16s on the next line (pasted out of order)
sleep 5m19s
kubectl get pod -n pod-example -o wide
kubectl get pod -n pod-example --show-labels
kubectl exec -it nginx-demo -n pod-example -- pwd
kubectl exec -it nginx-demo -n pod-example -- bash -c 'echo $JVM_OPTS'

# -- startup probe, httpGet on a path nginx does not have (L254-301); nginx-demo is 54m old
sleep 48m9s
kubectl get pod -n pod-example
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo-startup-probe # 修改 pod 名称,便于测试
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
    startupProbe: # 启动探针配置
      httpGet: # 探测方式,基于 http 请求探测
        path: /api/version # http 请求路径
        port: 80 # 请求端口
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
  restartPolicy: OnFailure # Pod 重启策略
EOF
kubectl apply -f nginx-demo.yaml
# the seed's describe (Scheduled 83s) was taken 83 s after the apply, before the get at 5m7s
sleep 83
kubectl describe pod -n pod-example nginx-demo-startup-probe
sleep 3m44s
kubectl get pod -n pod-example

# -- startup probe, tcpSocket (L303-334); applied when nginx-demo is 69m old
kubectl delete pod -n pod-example nginx-demo-startup-probe
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo-startup-probe # 修改 pod 名称,便于测试
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
    startupProbe: # 启动探针配置
      tcpSocket: # 探测方式,基于 tcp 探测
        port: 80 # 请求端口
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
  restartPolicy: OnFailure # Pod 重启策略
EOF
sleep 9m53s
kubectl apply -f nginx-demo.yaml
sleep 2
kubectl get pod -n pod-example
sleep 28
kubectl get pod -n pod-example

# -- startup probe, exec (L336-366); applied at nginx-demo 93m
kubectl delete pod -n pod-example nginx-demo-startup-probe
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo-startup-probe # 修改 pod 名称,便于测试
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
    startupProbe: # 启动探针配置
      exec:
        command:
        - sh
        - -c
        - 'echo "success Message!" > success.txt;' # 命令正常退出则判断存活
      failureThreshold: 3 # 请求失败 3 次即判定为存活探测失败
      periodSeconds: 3 # 探测间隔时间
      successThreshold: 1 # 请求成功 1 次即判定为存活探测成功
      timeoutSeconds: 5 # 请求超时时间
  restartPolicy: OnFailure # Pod 重启策略
EOF
sleep 23m30s
kubectl apply -f nginx-demo.yaml
sleep 5
kubectl get pod -n pod-example
kubectl exec -it -n pod-example nginx-demo-startup-probe -- bash -c 'cat success.txt;'

# -- liveness probe (L368-417); applied at nginx-demo 109m30s (111m at +97s)
kubectl delete pod -n pod-example nginx-demo-startup-probe
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo-liveness-probe # Pod 名称
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
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
  restartPolicy: OnFailure # Pod 重启策略
EOF
sleep 16m25s
kubectl apply -f nginx-demo.yaml
sleep 5
kubectl get pod -n pod-example
sleep 63
kubectl exec -it -n pod-example nginx-demo-liveness-probe -- bash -c "rm -f wellcome.html;"
sleep 29
kubectl get pod -n pod-example
kubectl exec -it -n pod-example nginx-demo-liveness-probe -- bash -c "ls"

# -- readiness probe (L419-507); applied at nginx-demo 131m40s
kubectl delete pod -n pod-example nginx-demo-liveness-probe
cat > nginx-demo.yaml <<'EOF'
apiVersion: v1 # API 版本(K8s 核心组的稳定版本 v1)
kind: Pod # 资源对象类型,也可以配置 Deployment 等资源对象
metadata:  # Pod 相关的元数据,用于描述 Pod
  name: nginx-demo-readiness-probe # Pod 名称
  labels: # 定义 Pod 的标签,可以自定义信息
    type: app # 自定义标签,名为 type,值为 app
    test-label-name: test-label-value
  namespace: pod-example # Pod 的命名空间
spec: # 期望 Pod 按照如下描述进行创建
  containers: # 对 Pod 中容器的描述
  - name: nginx # 容器名称
    image: docker.io/library/nginx:latest # 容器镜像
    imagePullPolicy: IfNotPresent # 拉取镜像策略,若本地有就不拉取
    command: # 指定容器启动时需要执行的命令
    - nginx
    - -g
    - 'daemon off;' # nginx -g 'daemon off;' 让 nginx 前台运行
    workingDir: /usr/share/nginx/html # 指定容器启动后的工作目录
    ports: # 端口定义
    - name: http # 端口名称
      containerPort: 80 # 描述容器内要暴露的端口
      protocol: TCP # 指定通信协议
    env: # 环境变量,可自定义
    - name: JVM_OPTS # 变量名称
      value: 'test-value' # 变量值
    resources: # 资源请求
      requests: # 容器运行的最小资源保障
        cpu: 100m
        memory: 128Mi
      limits: # 资源限制
        cpu: 1000m
        memory: 1024Mi
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
  restartPolicy: OnFailure # Pod 重启策略
EOF
sleep 20m33s
kubectl get pod -n pod-example
kubectl apply -f nginx-demo.yaml
sleep 3
kubectl get pod -n pod-example
sleep 25
kubectl describe pod nginx-demo-readiness-probe  -n pod-example
sleep 2m37s
kubectl get pod -n pod-example
kubectl exec -it -n pod-example nginx-demo-readiness-probe -- bash -c 'echo "<h1>wellcome</h1>" > wellcome.html;'
sleep 1m19s
kubectl get pod -n pod-example
kubectl logs -f  nginx-demo-readiness-probe  -n pod-example
