// Run by maven-invoker-plugin after an example's build: its dependency tree (every scope, as `dependency:tree`
// printed it) must hold no JUnit 4, Kotlin, Netty or Bouncy Castle. They come only with push-test-kit-fcm and
// push-test-kit-apns, which the examples do not ask for.
// basedir is the example's directory or, as maven-invoker-plugin 3.10.1 sets it for a script outside the project,
// the directory of this script (examples/).
def tree = [new File(basedir, 'target/dependency-tree.txt'), new File(basedir, 'embedder/target/dependency-tree.txt')]
        .find { it.isFile() } ?: new File(basedir, 'embedder/target/dependency-tree.txt')
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
