// Run by maven-invoker-plugin after an example's build: its dependency tree (every scope, as `dependency:tree`
// printed it) must hold no JUnit 4, Kotlin, Netty or Bouncy Castle. They come only with push-test-kit-fcm and
// push-test-kit-apns, which the examples do not ask for.
// The plugin runs this script with basedir = the directory that holds it (examples/); the example was built in its
// copy under target/it/.
def tree = new File(basedir, 'target/it/embedder/target/dependency-tree.txt')
if (!tree.isFile()) {
    throw new AssertionError("dependency:tree wrote nothing to " + tree)
}
def banned = tree.readLines().findAll { it =~ /junit:junit:|org\.jetbrains\.kotlin:|io\.netty:|org\.bouncycastle:/ }
if (!banned.isEmpty()) {
    throw new AssertionError("the example's dependency tree has what the base test kit must not bring:\n"
            + banned.join('\n'))
}
println "examples/embedder: no JUnit 4, Kotlin, Netty or Bouncy Castle in its dependency tree"
println tree.text
return true
